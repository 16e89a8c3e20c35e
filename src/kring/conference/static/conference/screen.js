// The second screen (issue 10, point 3): htmx swaps in the plan as it changes. A new agreement
// or idea may land below the edge of the projector's window: bring the newest one into view, so
// the room sees what was just written. Without this file the screen works the same, unscrolled.
(function () {
  "use strict";
  var counts = {};
  function count(selector) { return document.querySelectorAll(selector).length; }
  document.addEventListener("htmx:beforeSwap", function () {
    counts = { agreements: count(".plan-agreement"), ideas: count(".plan-ideas li") };
  });
  document.addEventListener("htmx:afterSettle", function () {
    var added = null;
    if (count(".plan-agreement") > counts.agreements) {
      added = document.querySelectorAll(".plan-agreement");
    } else if (count(".plan-ideas li") > counts.ideas) {
      added = document.querySelectorAll(".plan-ideas li");
    }
    if (added && added.length) {
      added[added.length - 1].scrollIntoView({ block: "nearest" });
    }
  });
})();
