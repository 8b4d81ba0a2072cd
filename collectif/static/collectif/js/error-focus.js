// After a failed submit, moves focus to the error summary so a keyboard or screen reader
// user starts from the list of problems (the GOV.UK pattern), and makes each of its links
// focus the field it names, unfolding a closed <details> around it and showing its label.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var folded = target.closest("details");
    if (folded) { folded.open = true; }
    var label = document.querySelector("label[for='" + CSS.escape(target.id) + "']");
    (label || target).scrollIntoView();
    target.focus({ preventScroll: true });
  });
})();
