// The score sheet's live total: the sum of the four criteria as the judge types, so the total
// they are about to save is always in sight. The service still checks and stores the total.
// A sheet (the form) or each line of the whole worklist (a table row) has its own total.
// Judges write "30,5"; a pasted "30.5" counts too. Anything the sheet refuses (not a number,
// negative, above the criterion's maximum in data-max, off the half-point step: the rules of
// cnnt_contracts.score_sheet, which the console applies on saving) is left out of the sum
// rather than read in part, as parseFloat("3x") would: 45 / -1 / 10,3 / abc add up to nothing.
var TYPED_SCORE = /^\s*(\d+)(?:[.,](\d+))?\s*$/;
function cnntTypedScore(text) {
  var typed = TYPED_SCORE.exec(String(text));
  return typed ? Number(typed[1] + "." + (typed[2] || "0")) : NaN;
}
function cnntLiveTotal(root) {
  root.querySelectorAll("[data-live-total]").forEach(function (form) {
    if (form.dataset.bound) { return; }
    form.dataset.bound = "true";
    var output = form.querySelector("output");
    function update() {
      var sum = 0, filled = false;
      form.querySelectorAll("[data-criterion]").forEach(function (input) {
        var value = cnntTypedScore(input.value);
        var max = Number(input.dataset.max);
        if (!isNaN(value) && (isNaN(max) || value <= max) && (value * 2) % 1 === 0) {
          sum += value; filled = true;
        }
      });
      if (!filled && form.tagName === "TR") { output.textContent = ""; return; }
      // The page's language writes the decimal: "81,5" in Vietnamese (the console's number filter).
      output.textContent = sum.toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: 1 });
    }
    form.addEventListener("input", update);
    update();  // also after a refused save swapped the sheet in with the judge's values
  });
}
document.addEventListener("DOMContentLoaded", function () { cnntLiveTotal(document); });
document.addEventListener("htmx:load", function (event) { cnntLiveTotal(event.detail.elt); });
