// Progressive enhancement for the one-time link page: a "copy" button (hidden without JavaScript)
// and selecting the whole link when it gets focus. No inline script: the CSP forbids it.
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("copy-link");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById("copy-status");
    if (!field) return;
    field.addEventListener("focus", function () { field.select(); });
    if (!navigator.clipboard || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied-text");
      }, function () {
        field.focus();
        field.select();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
