// Adds up the parts of each breakdown as the person types and shows them against the
// total: "Parts: 120 of 130", with a warning when the parts are more than the total.
// Progressive enhancement: without this script the form works the same, and the server
// checks the parts against the total whatever the page showed.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var decimalComma = lang.indexOf("fr") === 0;
  var format = new Intl.NumberFormat(lang, { maximumFractionDigits: 6 });

  // A number as people type it in either language: 1 234,5 or 1,234.5; null if not one.
  function parse(text) {
    var raw = text.replace(/[\s\u00a0\u202f$%]/g, "").replace(/\u2212/g, "-");
    if (!raw) { return null; }
    var comma = raw.lastIndexOf(","), dot = raw.lastIndexOf(".");
    if (comma >= 0 && dot >= 0) {
      raw = comma > dot ? raw.replace(/\./g, "").replace(",", ".") : raw.replace(/,/g, "");
    } else if (comma >= 0) {
      var thousands = !decimalComma && /^-?\d{1,3}(,\d{3})+$/.test(raw);
      raw = thousands ? raw.replace(/,/g, "") : raw.replace(",", ".");
    }
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw)) { return null; }
    return Number(raw);
  }

  function fill(template, parts, total) {
    return template.replace("{parts}", format.format(parts)).replace("{total}", format.format(total));
  }

  document.querySelectorAll("[data-sum-total]").forEach(function (group) {
    var total = document.getElementById(group.getAttribute("data-sum-total"));
    var out = group.querySelector(".parts-sum");
    if (!total || !out) { return; }
    var inputs = group.querySelectorAll("input.input-number");

    function update() {
      var parts = 0, any = false;
      inputs.forEach(function (input) {
        var value = parse(input.value);
        if (value !== null) { parts += value; any = true; }
      });
      var whole = parse(total.value);
      if (!any || whole === null) { out.hidden = true; out.textContent = ""; return; }
      parts = Math.round(parts * 1e6) / 1e6;
      var over = parts > whole + 1e-9;
      out.textContent = fill(out.getAttribute(over ? "data-over-text" : "data-parts-text"), parts, whole);
      out.classList.toggle("parts-over", over);
      out.hidden = false;
    }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
    total.addEventListener("input", update);
    update();
  });
})();
