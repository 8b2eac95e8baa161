// Alexis org chart: expand people level by level (reports fetched from the server as HTML),
// pan by dragging, zoom with the buttons or Ctrl + scroll, print. Without this file the chart
// is still a working page: every "reports" link opens that person's part of the chart.
(function () {
  "use strict";

  var MIN_SCALE = 0.3;
  var MAX_SCALE = 2;
  var STEP = 1.25;

  function fetchFragment(url) {
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          window.location.assign(url);
          return null;
        }
        return response.text();
      });
  }

  function setUp(viewport) {
    var canvas = viewport.querySelector("[data-org-canvas]");
    var chart = viewport.closest(".org-chart");
    var toolbar = chart.querySelector("[data-org-toolbar]");
    var level = chart.querySelector("[data-org-zoom-level]");
    var stackOver = Number(viewport.dataset.stackOver || "6");
    var view = { scale: 1, x: 0, y: 0 };

    function apply() {
      canvas.style.transform =
        "translate(" + view.x + "px, " + view.y + "px) scale(" + view.scale + ")";
      level.textContent = Math.round(view.scale * 100) + "%";
      chart.dataset.zoom = String(Math.round(view.scale * 100));
    }

    // Zoom keeping the point (px, py) of the viewport where it is on the screen.
    function zoomTo(scale, px, py) {
      scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
      view.x = px - (px - view.x) * (scale / view.scale);
      view.y = py - (py - view.y) * (scale / view.scale);
      view.scale = scale;
      apply();
    }

    function centre() {
      return { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 };
    }

    toolbar.hidden = false;
    viewport.classList.add("is-pannable");
    apply();

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var middle = centre();
      if (button.dataset.orgZoom === "in") zoomTo(view.scale * STEP, middle.x, middle.y);
      else if (button.dataset.orgZoom === "out") zoomTo(view.scale / STEP, middle.x, middle.y);
      else if (button.dataset.orgZoom === "reset") {
        view = { scale: 1, x: 0, y: 0 };
        apply();
      } else if (button.hasAttribute("data-org-print")) window.print();
    });

    viewport.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return; // plain scrolling scrolls the page
      event.preventDefault();
      var box = viewport.getBoundingClientRect();
      var factor = event.deltaY < 0 ? STEP : 1 / STEP;
      zoomTo(view.scale * factor, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    var drag = null;
    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.closest("a, button")) return;
      drag = { id: event.pointerId, x: event.clientX - view.x, y: event.clientY - view.y };
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add("is-dragging");
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) return;
      view.x = event.clientX - drag.x;
      view.y = event.clientY - drag.y;
      apply();
    });
    function endDrag(event) {
      if (!drag || drag.id !== event.pointerId) return;
      drag = null;
      viewport.classList.remove("is-dragging");
    }
    viewport.addEventListener("pointerup", endDrag);
    viewport.addEventListener("pointercancel", endDrag);

    // Keyboard users move through the cards with Tab: bring the focused one into view.
    viewport.addEventListener("focusin", function (event) {
      var box = viewport.getBoundingClientRect();
      var card = event.target.closest(".org-card") || event.target;
      var rect = card.getBoundingClientRect();
      var margin = 16;
      if (rect.left < box.left + margin) view.x += box.left + margin - rect.left;
      else if (rect.right > box.right - margin) view.x -= rect.right - (box.right - margin);
      if (rect.top < box.top + margin) view.y += box.top + margin - rect.top;
      else if (rect.bottom > box.bottom - margin) view.y -= rect.bottom - (box.bottom - margin);
      viewport.scrollLeft = 0;
      viewport.scrollTop = 0;
      apply();
    });

    viewport.addEventListener("click", function (event) {
      var toggle = event.target.closest("a.org-toggle");
      var more = event.target.closest("a[data-more-url]");
      if (toggle) {
        event.preventDefault();
        expand(toggle);
      } else if (more) {
        event.preventDefault();
        showMore(more);
      }
    });

    function expand(toggle) {
      var node = toggle.closest(".org-node");
      var children = node.querySelector(":scope > ul.org-tree");
      var expanded = toggle.getAttribute("aria-expanded") === "true";
      if (children) {
        children.hidden = expanded;
        node.classList.toggle("is-open", !expanded);
        toggle.setAttribute("aria-expanded", String(!expanded));
        return;
      }
      toggle.setAttribute("aria-busy", "true");
      fetchFragment(toggle.dataset.childrenUrl).then(function (html) {
        toggle.removeAttribute("aria-busy");
        if (html === null) return;
        var list = document.createElement("ul");
        list.className = "org-tree";
        if (Number(toggle.dataset.reportCount) > stackOver) list.classList.add("org-stack");
        list.innerHTML = html;
        node.appendChild(list);
        node.classList.add("is-open");
        toggle.setAttribute("aria-expanded", "true");
      });
    }

    function showMore(more) {
      var item = more.closest("li");
      fetchFragment(more.href).then(function (html) {
        if (html === null) return;
        var marker = item.previousElementSibling;
        item.insertAdjacentHTML("beforebegin", html);
        item.remove();
        // Keep keyboard users where they were: on the first newly loaded person.
        var first = marker ? marker.nextElementSibling : null;
        var link = first ? first.querySelector(".org-name") : null;
        if (link) link.focus();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-org-viewport]").forEach(setUp);
  });
})();
