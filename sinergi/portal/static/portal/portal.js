// Public pages: quick exit, and navigation that leaves no entries in the tab's history.
// Everything here is an enhancement: without JavaScript the quick exit is a plain link.
// Staff pages that a visitor who is not logged in may see (the login page) load it too, for the
// first part only: a quick exit that steps back onto one of them must still leave.
(function () {
  "use strict";
  var exitLink = document.querySelector("[data-quick-exit]");
  var exitUrl = exitLink ? exitLink.getAttribute("href") : "/keluar/";
  var EXIT_FLAG = "sinergi-exit";

  function leave() {
    try { sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    // replace(): this history entry becomes the neutral page, so Back cannot return to it.
    window.location.replace(exitUrl);
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    document.documentElement.style.display = "none"; // hide the page at once, before the next one loads
    // A form sent (report, tracking) adds a history entry. Go back to the first of our entries in
    // this tab and replace that one: the neutral page then drops the entries after it.
    var nav = window.navigation;
    if (nav && nav.entries && nav.currentEntry && nav.currentEntry.index > 0) {
      try {
        sessionStorage.setItem(EXIT_FLAG, String(Date.now()));
        nav.traverseTo(nav.entries()[0].key).finished.catch(leave);
        return;
      } catch (e) { /* fall through to a plain replace */ }
    }
    leave();
  }

  function exitPending() {
    try {
      var started = Number(sessionStorage.getItem(EXIT_FLAG));
      return started > 0 && Date.now() - started < 10000;
    } catch (e) { return false; }
  }

  // Reached by the quick exit's step back: leave at once.
  if (exitPending()) { document.documentElement.style.display = "none"; leave(); return; }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exitPending()) { document.documentElement.style.display = "none"; leave(); }
  });
  if (!exitLink) return;

  // Esc while typing belongs to the field (browsers clear a search box or close a list with it):
  // someone writing her report must not lose it to a stray key. The button still works there.
  var NOT_TEXT = ["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"];
  function typing(element) {
    if (!element || !element.tagName) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    return tag === "input" && NOT_TEXT.indexOf((element.type || "text").toLowerCase()) < 0;
  }

  exitLink.addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    if (event.isComposing || typing(event.target)) return;
    quickExit(event);
  });

  // Links between public pages replace the current history entry instead of adding one, so the
  // tab's history holds at most one page of ours, which the quick exit then replaces.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("data-quick-exit") || link.target) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.hash && url.pathname === window.location.pathname) return;
    event.preventDefault();
    window.location.replace(url.href);
  });

  // The language switch posts to another URL (a new history entry); send it in the background
  // and reload this page in place instead.
  var language = document.querySelector("form.language-switch");
  if (language && window.fetch && window.FormData) {
    language.addEventListener("submit", function (event) {
      var body = new FormData(language);
      if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
      event.preventDefault();
      fetch(language.action, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
        .then(function () { window.location.replace(window.location.href); })
        .catch(function () { language.submit(); });
    });
  }
})();
