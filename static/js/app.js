// kefuboard page script: draws every chart whose ECharts option the server put
// in a data-echarts attribute (no inline scripts, so the CSP can forbid them),
// keeps charts sized to their box, and wires small conveniences.
(function () {
  "use strict";
  function drawCharts(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("[data-echarts]").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) return;
      var opt;
      try { opt = JSON.parse(el.getAttribute("data-echarts")); } catch (e) { console.error("chart option", el.id, e); return; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(opt);
      el.setAttribute("data-chart-ready", "1");
    });
  }
  function resizeAll() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-echarts]").forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  }
  var t;
  window.addEventListener("resize", function () { clearTimeout(t); t = setTimeout(resizeAll, 150); });
  // Forms with data-confirm ask before submitting (deactivate a user, …).
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  // The custom period inputs appear only when "自定义" is chosen.
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-period]")) {
      var f = e.target.form, custom = e.target.value === "custom";
      f.querySelectorAll("[data-custom]").forEach(function (x) { x.hidden = !custom; });
      if (!custom) f.submit();
    }
    if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
  window.kefuboard = { drawCharts: drawCharts };
})();
