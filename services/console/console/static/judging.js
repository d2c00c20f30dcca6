// The score sheet's live total: the sum of the four criteria as the judge types, so the total
// they are about to save is always in sight. The service still checks and stores the total.
// A sheet (the form) or each line of the whole worklist (a table row) has its own total.
function cnntLiveTotal(root) {
  root.querySelectorAll("[data-live-total]").forEach(function (form) {
    if (form.dataset.bound) { return; }
    form.dataset.bound = "true";
    var output = form.querySelector("output");
    function update() {
      var sum = 0, filled = false;
      form.querySelectorAll("[data-criterion]").forEach(function (input) {
        var value = parseFloat(String(input.value).replace(",", "."));
        if (!isNaN(value)) { sum += value; filled = true; }
      });
      if (!filled && form.tagName === "TR") { output.textContent = ""; return; }
      output.textContent = sum.toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: 1 });
    }
    form.addEventListener("input", update);
    update();  // also after a refused save swapped the sheet in with the judge's values
  });
}
document.addEventListener("DOMContentLoaded", function () { cnntLiveTotal(document); });
document.addEventListener("htmx:load", function (event) { cnntLiveTotal(event.detail.elt); });
