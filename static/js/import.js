// kefuboard import page: drag and drop onto the file box, a list of the chosen
// files (warning early about files over the size limit), the new-shop fields
// shown only when "新店铺" is chosen, and an upload with a progress bar. Without
// this script the form still works as a plain multipart POST.
(function () {
  "use strict";
  var form = document.querySelector("form[data-import-upload]");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-dropzone]");
  var list = form.querySelector("[data-file-list]");
  var shopSel = form.querySelector("[data-shop-select]");
  var newShop = form.querySelector("[data-new-shop]");
  var bar = form.querySelector("[data-upload-progress]");
  var barEl = bar ? bar.querySelector("progress") : null;
  var barText = form.querySelector("[data-upload-text]");
  var errBox = form.querySelector("[data-upload-error]");
  var button = form.querySelector("[data-upload-button]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var maxLabel = form.getAttribute("data-max-label") || "";
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 0;

  function size(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MB";
    if (n >= 1024) return (n / 1024).toFixed(1) + " KB";
    return n + " 字节";
  }
  function showError(msg) {
    if (!errBox) return;
    errBox.textContent = msg;
    errBox.hidden = !msg;
  }
  function toggleShop() {
    if (shopSel && newShop) newShop.hidden = shopSel.value !== "new";
  }
  // listFiles shows the chosen files and returns a problem that stops the upload.
  function listFiles() {
    var files = input.files || [];
    list.textContent = "";
    var problems = [];
    for (var i = 0; i < files.length; i++) {
      var f = files[i], li = document.createElement("li");
      li.textContent = f.name + "（" + size(f.size) + "）";
      if (maxBytes && f.size > maxBytes) {
        li.className = "bad";
        problems.push("文件「" + f.name + "」有 " + size(f.size) + "，超过单个文件的上限 " + maxLabel + "。");
      } else if (f.size === 0) {
        li.className = "bad";
      }
      list.appendChild(li);
    }
    if (maxFiles && files.length > maxFiles) {
      problems.push("一次最多上传 " + maxFiles + " 个文件，这次选择了 " + files.length + " 个：请分批上传。");
    }
    showError(problems.join(" "));
    return problems.length > 0;
  }

  if (shopSel) {
    shopSel.addEventListener("change", toggleShop);
    toggleShop();
  }
  input.addEventListener("change", listFiles);
  ["dragenter", "dragover"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    listFiles();
  });

  form.addEventListener("submit", function (e) {
    if (typeof FormData === "undefined" || typeof XMLHttpRequest === "undefined") return;
    e.preventDefault();
    if (!input.files || input.files.length === 0) { showError("请选择要导入的文件。"); return; }
    if (listFiles()) return;
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("HX-Request", "true"); // errors come back as plain text
    var tok = form.querySelector("input[name=_csrf]");
    if (tok) xhr.setRequestHeader("X-CSRF-Token", tok.value);
    bar.hidden = false;
    button.disabled = true;
    showError("");
    xhr.upload.addEventListener("progress", function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.floor(ev.loaded * 100 / ev.total);
      barEl.value = pct;
      barText.textContent = pct < 100 ? "正在上传 " + pct + "%（" + size(ev.loaded) + " / " + size(ev.total) + "）" : "上传完成，正在检查文件…";
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status === 200 && body && body.redirect) {
        window.location.href = body.redirect;
        return;
      }
      button.disabled = false;
      bar.hidden = true;
      var msg = body && body.error ? body.error : (xhr.responseText || "").replace(/<[^>]*>/g, " ").trim().slice(0, 300);
      showError(msg || ("上传失败（" + xhr.status + "）"));
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      bar.hidden = true;
      showError("上传中断：请检查网络后重试。");
    });
    xhr.send(data);
  });
})();
