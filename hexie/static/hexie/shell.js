// Behaviour the staff pages share, kept out of the HTML so that pages carry no inline script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A <select data-autosubmit> sends its form when it changes (page size, a single filter).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });
})();
