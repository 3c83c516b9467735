// Behaviour that inline event handlers used to give, as a file the Content-Security-Policy allows
// (script-src 'self'): [data-print] prints the page, [data-autosubmit] submits its form on change.
(function () {
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) { event.preventDefault(); window.print(); }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
  });
})();
