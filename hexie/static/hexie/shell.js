// Behaviour the staff pages share, kept out of the HTML so that pages carry no inline script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A table wider than a phone scrolls sideways: keyboard users reach the scroll with Tab.
  function focusableScrolls(root) {
    root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      if (!box.hasAttribute("aria-label") && caption) { box.setAttribute("aria-label", caption.textContent.trim()); }
      box.setAttribute("role", "region");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrolls(document); });
  // A button marked data-print prints the page (posters).
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
  // Rows swapped in by htmx (filters, paging) bring their own tables.
  document.addEventListener("htmx:afterSwap", function (event) { focusableScrolls(event.target); });
  // A <select data-autosubmit> sends its form when it changes (page size, a single filter).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });
  // A [data-print] button prints the page (the QR posters).
  document.addEventListener("click", function (event) {
    var el = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) { event.preventDefault(); window.print(); }
  });
})();
