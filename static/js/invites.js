// The invitation queue: the compliance check of an invitation text as the
// owner types (the server checks again on save), and "copy and record": the
// text is copied to the clipboard before the form records the invitation.
// Without this script the forms still work; nothing is checked as you type.
(function () {
  var body = document.querySelector("textarea[data-compliance]");
  var list = document.querySelector("ul.compliance");
  if (body && list) {
    var url = body.getAttribute("data-compliance");
    var timer = null, seq = 0;
    function show(findings) {
      list.textContent = "";
      findings.forEach(function (f) {
        var li = document.createElement("li");
        var w = document.createElement("strong");
        w.textContent = "「" + f.word + "」";
        li.appendChild(w);
        li.appendChild(document.createTextNode(" 属于好评返现类用语，平台禁止。" + f.suggestion));
        list.appendChild(li);
      });
      body.classList.toggle("flagged", findings.length > 0);
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(url + "&text=" + encodeURIComponent(body.value), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (f) { if (mine === seq) show(f || []); })
          .catch(function () {});
      }, 250);
    });
  }
  var text = document.querySelector("[data-testid=invite-text]");
  document.querySelectorAll("button[data-copy-invite]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      if (text && navigator.clipboard) navigator.clipboard.writeText(text.textContent).catch(function () {});
    });
  });
})();
