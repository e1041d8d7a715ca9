/* The door on a phone: read the ticket's QR code with the camera where the browser offers the
   BarcodeDetector API, else type the code. The form works without this script (it posts and the page
   shows the result); with htmx only the result and the counter are swapped, so the camera keeps running. */
(function () {
  "use strict";
  var form = document.getElementById("door-form");
  var input = document.getElementById("id_code");
  var start = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  if (!form || !input) { return; }
  input.focus();
  document.body.addEventListener("htmx:afterSwap", function () { input.value = ""; input.focus(); });

  var supported = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!supported) { status.textContent = status.dataset.manual; return; }
  var detector;
  try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); }
  catch (e) { status.textContent = status.dataset.manual; return; }

  start.hidden = false;
  var stream = null, last = "", lastAt = 0;

  function submit(value) {
    input.value = value;
    if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    if (navigator.vibrate) { navigator.vibrate(60); }
  }

  function scan() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        var value = codes[0].rawValue || "";
        var now = Date.now();
        // The same ticket held in front of the camera is sent once every 3 seconds at most.
        if (value && (value !== last || now - lastAt > 3000)) { last = value; lastAt = now; submit(value); }
      }
    }).catch(function () { /* a frame that cannot be read: try the next one */ })
      .then(function () { setTimeout(scan, 250); });
  }

  start.addEventListener("click", function () {
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null; video.hidden = true; status.textContent = ""; return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; status.textContent = status.dataset.scanning;
        return video.play();
      })
      .then(scan)
      .catch(function () { stream = null; video.hidden = true; status.textContent = status.dataset.denied; });
  });
})();
