// Show only the streets of the chosen district; without JavaScript all streets are listed by district.
(function () {
  var district = document.getElementById("id_district"), street = document.getElementById("id_street");
  if (!district || !street) return;
  function filter() {
    var groups = street.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var show = !district.value || groups[i].getAttribute("data-district") === district.value;
      groups[i].hidden = !show; groups[i].disabled = !show;
    }
    var selected = street.options[street.selectedIndex];
    if (selected && selected.parentNode.disabled) street.value = "";
  }
  district.addEventListener("change", filter);
  filter();
})();
