// Registration page (cases/register.html). Everything here is an enhancement: without JavaScript
// the "add" buttons ask the server for the page with one more form, and the SAPA 129 ticket field
// appears when the page comes back.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) return;

  // "Add another victim/perpetrator": open the next closed form at once, no round trip.
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add]");
    if (!button) return;
    var kind = button.getAttribute("data-add");
    var closed = form.querySelectorAll('fieldset[data-person="' + kind + '"][hidden]');
    if (!closed.length) return; // let the server answer
    event.preventDefault();
    var next = closed[0];
    next.hidden = false;
    if (closed.length === 1) button.hidden = true;
    if (kind === "korban") {
      var number = form.querySelectorAll('fieldset[data-person="korban"]:not([hidden])').length;
      form.querySelectorAll('[data-victim="' + number + '"]').forEach(function (el) { el.hidden = false; });
    }
    var first = next.querySelector("input, select, textarea");
    if (first) first.focus();
  });

  // The SAPA 129 ticket is asked only for a SAPA 129 report (kept open while it shows an error).
  var channel = form.querySelector('select[name="channel"]');
  var sapa = form.querySelector("[data-show-for-channel]");
  if (channel && sapa) {
    var showSapa = function () {
      if (sapa.querySelector(".field-error")) return;
      sapa.hidden = channel.value !== sapa.getAttribute("data-show-for-channel");
    };
    channel.addEventListener("change", showSapa);
    showSapa();
  }

  // "The age is estimated" applies to a typed age only (kept open while ticked or in error).
  form.querySelectorAll("[data-show-when-filled]").forEach(function (block) {
    var source = document.getElementById(block.getAttribute("data-show-when-filled"));
    var box = block.querySelector("input[type=checkbox]");
    if (!source) return;
    var update = function () {
      block.hidden = !source.value && !(box && box.checked) && !block.querySelector(".field-error");
    };
    source.addEventListener("input", update);
    update();
  });

  // The error summary's links move the focus to their field, not only the scroll position.
  document.querySelectorAll("#error-summary a[data-focus]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("data-focus"));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  });
})();
