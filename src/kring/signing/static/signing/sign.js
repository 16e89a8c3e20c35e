// Signing on the tablet and on the personal page (issue 11, point 1). Two small helps, neither
// needed to sign:
// - a drawing area for an optional drawn signature: pointer events (mouse, finger, pen) draw
//   lines that are kept as SVG path data in the form's hidden input marked data-drawing-input
//   (its name carries the form's prefix on the personal page); "Clear" empties it. Points
//   closer than MIN_STEP to the last are skipped, and once the path would pass the input's
//   data-max-length the drawing stops (the server leaves out a drawing it cannot use, never
//   the signature). Without this script the area is simply absent; the tick and the name sign.
// - a form's submit button is disabled while the form is being sent, so a double tap sends it
//   once (the server makes no second signature either way).
(function () {
  "use strict";

  var MIN_STEP = 2; // canvas pixels: closer points add nothing a reader would see
  var count = 0;

  function setUpDrawing(box) {
    var form = box.closest("form");
    var input = form && form.querySelector("[data-drawing-input]");
    var place = box.querySelector("[data-drawing-place]");
    var clear = box.querySelector("[data-drawing-clear]");
    if (!input || !place || !clear) return;
    var maxLength = Number(input.getAttribute("data-max-length")) || 20000;
    var canvas = document.createElement("canvas");
    canvas.width = 600;
    canvas.height = 200;
    canvas.className = "drawing-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", place.getAttribute("data-label") || "");
    // The hint of this box (a page may have a box per place to sign): its own id.
    var hint = box.querySelector("[data-drawing-hint], .hint");
    if (hint) {
      count += 1;
      if (!hint.id) hint.id = "drawing-hint-" + count;
      canvas.setAttribute("aria-describedby", hint.id);
    }
    place.appendChild(canvas);
    box.hidden = false;

    var context = canvas.getContext("2d");
    var parts = input.value ? [input.value] : [];
    var length = input.value.length;
    var last = null;
    var drawing = false;

    // Adds a part to the path unless the path would pass the cap: then false.
    function add(part) {
      var extra = part.length + (parts.length ? 1 : 0);
      if (length + extra > maxLength) return false;
      parts.push(part);
      length += extra;
      return true;
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      var x = ((event.clientX - rect.left) * canvas.width) / rect.width;
      var y = ((event.clientY - rect.top) * canvas.height) / rect.height;
      return [Math.round(x), Math.round(y)];
    }
    function style() {
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
    }
    // A drawing kept after a refused form is drawn again.
    function redraw() {
      context.clearRect(0, 0, canvas.width, canvas.height);
      style();
      var words = parts.join(" ").split(" ");
      context.beginPath();
      for (var i = 0; i + 2 < words.length; i += 3) {
        var x = Number(words[i + 1]);
        var y = Number(words[i + 2]);
        if (words[i] === "M") context.moveTo(x, y);
        else if (words[i] === "L") context.lineTo(x, y);
      }
      context.stroke();
    }
    redraw();

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      var p = point(event);
      // A full drawing takes no new line: what is seen is what is kept.
      if (!add("M " + p[0] + " " + p[1])) return;
      drawing = true;
      last = p;
      canvas.setPointerCapture(event.pointerId);
      style();
      context.beginPath();
      context.moveTo(p[0], p[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      if (Math.abs(p[0] - last[0]) < MIN_STEP && Math.abs(p[1] - last[1]) < MIN_STEP) return;
      if (!add("L " + p[0] + " " + p[1])) {
        stop();
        return;
      }
      last = p;
      context.lineTo(p[0], p[1]);
      context.stroke();
    });
    function stop() {
      if (!drawing) return;
      drawing = false;
      input.value = parts.join(" ");
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    clear.addEventListener("click", function () {
      parts = [];
      length = 0;
      input.value = "";
      context.clearRect(0, 0, canvas.width, canvas.height);
    });
  }

  function setUpSubmitOnce(form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("[data-submit-once]");
      // After the browser has collected the form: then the buttons may go.
      window.setTimeout(function () {
        buttons.forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  }

  function start() {
    document.querySelectorAll("[data-drawing]").forEach(setUpDrawing);
    document.querySelectorAll("[data-sign-form]").forEach(setUpSubmitOnce);
  }

  // A page shown again from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-submit-once]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
