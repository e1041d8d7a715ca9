/* Search-as-you-type for fields marked data-pick="<kind>" (core.pickers.PickerField / PickerMultipleField).
   The field stays a plain text box (it works without this script: a number or an exact name is accepted
   and checked on the server); the script lists at most 20 matches under it and a click puts the chosen
   record ("#12 标题") into the box, or into the current line for data-multi boxes. A box whose kind depends
   on another field names it in data-pick-kind-from (the id of a <select>); its data-pick-url holds
   "__kind__" where that field's value goes. */
(function () {
  "use strict";

  function currentTerm(input, multi) {
    if (!multi) { return input.value.trim(); }
    var lines = input.value.split("\n");
    return (lines[lines.length - 1] || "").trim();
  }

  function choose(input, multi, value) {
    if (!multi) { input.value = value; return; }
    var lines = input.value.split("\n");
    lines[lines.length - 1] = value;
    input.value = lines.join("\n") + "\n";
  }

  function attach(input) {
    if (input.getAttribute("data-pick-ready")) { return; }
    input.setAttribute("data-pick-ready", "1");
    var multi = input.hasAttribute("data-multi");
    var url = input.getAttribute("data-pick-url");
    var box = document.createElement("div");
    box.className = "picker-results";
    box.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", box);
    var timer = null, seq = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var term = currentTerm(input, multi);
        if (!term) { box.innerHTML = ""; return; }
        var target = url;
        var from = input.getAttribute("data-pick-kind-from");
        if (from) {
          var select = document.getElementById(from);
          if (!select || !select.value) { box.innerHTML = ""; return; }
          target = url.replace("__kind__", encodeURIComponent(select.value));
        }
        var mine = ++seq;
        fetch(target + "?q=" + encodeURIComponent(term.slice(0, 100)), { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) { if (mine === seq) { box.innerHTML = html; } })
          .catch(function () { box.innerHTML = ""; });
      }, 200);
    });
    box.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-value]");
      if (!button) { return; }
      e.preventDefault();
      choose(input, multi, button.getAttribute("data-value"));
      box.innerHTML = "";
      input.focus();
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll("[data-pick]").forEach(attach);
  }
  attachAll(document);
  document.addEventListener("htmx:afterSwap", function (e) { attachAll(e.target); });
})();
