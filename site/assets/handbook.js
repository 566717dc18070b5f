/* The handbook's own small script. Plain JavaScript with no modules and no requests, so it
   runs from a USB stick (file://) as well as from a server.

   1. The day on one page: the start time the facilitator types above a module's agenda is
      kept in this browser (localStorage) and every time in the agenda follows it.
   2. The language switcher keeps the reader's place: the link to the other language carries
      the section she is reading (#session-..., #day-2), which has the same id in every
      language. */
(function () {
  "use strict";
  var KEY = "fh-start";

  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private window: fine */ }
  }

  function minutesOf(value) {
    var match = /^(\d{1,2}):(\d{2})/.exec(value || "");
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }

  function clock(minutes) {
    var m = ((minutes % 1440) + 1440) % 1440;
    var mm = m % 60;
    return Math.floor(m / 60) + ":" + (mm < 10 ? "0" : "") + mm;
  }

  function showTimes(start) {
    var cells = document.querySelectorAll(".fh-at[data-offset]");
    for (var i = 0; i < cells.length; i++) {
      var offset = Number(cells[i].getAttribute("data-offset"));
      cells[i].textContent = start === null ? "" : clock(start + offset);
    }
    var tables = document.querySelectorAll(".fh-timetable");
    for (var j = 0; j < tables.length; j++) {
      tables[j].classList.toggle("fh-clock-set", start !== null);
    }
  }

  function setUpStart() {
    var input = document.querySelector("input.fh-start");
    if (!input) { return; }
    var saved = remembered();
    if (saved !== null) { input.value = saved; }
    showTimes(minutesOf(input.value));
    input.addEventListener("input", function () {
      remember(input.value);
      showTimes(minutesOf(input.value));
    });
  }

  /* The section being read: the address's #anchor, else the last heading in the top fifth
     of the screen (a heading just scrolled to sits under the sticky header, a little lower
     once pictures above it have loaded). */
  function currentSection() {
    if (window.location.hash.length > 1) { return window.location.hash; }
    var headings = document.querySelectorAll(".md-content h2[id], .md-content h3[id], .md-content h4[id]");
    var reading = Math.max(120, window.innerHeight / 5);
    var found = "";
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top > reading) { break; }
      found = "#" + headings[i].id;
    }
    return found;
  }

  function setUpSwitcher() {
    var links = document.querySelectorAll("a.md-select__link[hreflang]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        var link = event.currentTarget;
        var href = link.getAttribute("href").split("#")[0];
        link.setAttribute("href", href + currentSection());
      });
    }
  }

  function start() {
    setUpStart();
    setUpSwitcher();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
