// The what-if sliders of the Douyin experience score page: recompute the
// estimated score in the browser as a slider moves, with the same rule as
// the server (kpi.DouyinModel): each sub-metric scores 1–5 by its bands, a
// part is the mean of its sub-scores with data, the total the weighted mean
// of the parts with data. Without this script the sliders' forms ask the
// server instead.
(function () {
  var box = document.querySelector("[data-douyin-model]");
  if (!box) return;
  var data;
  try { data = JSON.parse(box.getAttribute("data-douyin-model")); } catch (e) { return; }
  var answer = document.querySelector("[data-whatif-answer]");
  function points(band, dir, v) {
    for (var i = 0; i < band.cuts.length; i++) {
      if ((dir > 0 && v >= band.cuts[i]) || (dir < 0 && v <= band.cuts[i])) return 5 - i;
    }
    return 1;
  }
  function total(values) {
    var wsum = 0, tot = 0;
    data.model.parts.forEach(function (p) {
      var sum = 0, n = 0;
      p.bands.forEach(function (b) {
        if (Object.prototype.hasOwnProperty.call(values, b.key)) { sum += points(b, data.dirs[b.key], values[b.key]); n++; }
      });
      if (n > 0) { wsum += p.weight; tot += p.weight * sum / n; }
    });
    return wsum > 0 ? tot / wsum : null;
  }
  document.querySelectorAll("input[data-whatif]").forEach(function (el) {
    var key = el.getAttribute("data-whatif");
    var out = document.querySelector('[data-whatif-out="' + key + '"]');
    var scale = data.scale[key] || 1;
    el.addEventListener("input", function () {
      var v = parseFloat(el.value);
      var values = Object.assign({}, data.values);
      values[key] = v / scale;
      var t = total(values);
      if (out) out.textContent = el.value + (data.units[key] || "");
      if (answer && t !== null) {
        answer.textContent = "如果「" + data.names[key] + "」达到 " + el.value + (data.units[key] || "") + "，估算体验分为 " + t.toFixed(2) + "（现在 " + (data.total === null ? "—" : data.total.toFixed(2)) + "）。";
      }
    });
  });
})();
