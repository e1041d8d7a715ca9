/* Search-as-you-type for fields marked data-picker="organizations|carriers|achievements|contracts|source".
   The field stays a plain text input (it works without this script); the script lists matches under it
   and a click puts the chosen name or number into the field (one per line or comma for data-multi). */
(function () {
  "use strict";
  var base = document.documentElement.getAttribute("data-picker-base") || "/carriers/pick/";

  function currentTerm(input, multi) {
    if (!multi) { return input.value.trim(); }
    var parts = input.value.split(input.tagName === "TEXTAREA" ? /\n/ : /[,，、\s]+/);
    return (parts[parts.length - 1] || "").trim();
  }

  function choose(input, multi, value) {
    if (!multi) { input.value = value; return; }
    if (input.tagName === "TEXTAREA") {
      var lines = input.value.split("\n"); lines[lines.length - 1] = value;
      input.value = lines.join("\n") + "\n";
    } else {
      var items = input.value.split(/[,，、]+/).map(function (s) { return s.trim(); }).filter(Boolean);
      items[Math.max(items.length - 1, 0)] = value;
      input.value = items.join(", ") + ", ";
    }
  }

  function attach(input) {
    var multi = input.hasAttribute("data-multi");
    var box = document.createElement("div");
    box.className = "picker-results";
    box.setAttribute("role", "listbox");
    input.insertAdjacentElement("afterend", box);
    var timer = null, seq = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var term = currentTerm(input, multi);
        if (!term) { box.innerHTML = ""; return; }
        var kind = input.getAttribute("data-picker");
        if (kind === "source") {
          var select = document.getElementById(input.getAttribute("data-kind-from"));
          if (!select || !select.value) { box.innerHTML = ""; return; }
          kind = "source-" + select.value;
        }
        var mine = ++seq;
        fetch(base + kind + "/?q=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) { if (mine === seq) { box.innerHTML = html; } });
      }, 200);
    });
    box.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-value]");
      if (!button) { return; }
      e.preventDefault();
      var fill = input.getAttribute("data-fill");
      var target = fill ? document.getElementById(fill) : input;
      if (fill) { input.value = button.textContent.trim(); }
      choose(target, fill ? false : multi, button.getAttribute("data-value"));
      box.innerHTML = "";
      input.focus();
    });
  }

  document.querySelectorAll("[data-picker]").forEach(attach);
})();
