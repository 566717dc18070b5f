// The evaluation form's choice limit while filling: once N options are ticked, the others
// are disabled and the page says "N of N chosen". The server refuses more all the same.
(function () {
  "use strict";
  document.querySelectorAll("fieldset[data-choose-up-to]").forEach(function (fieldset) {
    var limit = parseInt(fieldset.getAttribute("data-choose-up-to"), 10);
    var boxes = fieldset.querySelectorAll('input[type="checkbox"]');
    var count = fieldset.querySelector(".choice-count");
    function update() {
      var chosen = 0;
      boxes.forEach(function (box) { if (box.checked) { chosen += 1; } });
      boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= limit; });
      if (count) {
        count.textContent = count.getAttribute("data-template").replace("{chosen}", String(chosen));
      }
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
})();
