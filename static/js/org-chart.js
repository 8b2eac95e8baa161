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
      else if (button.hasAttribute("data-org-png")) downloadPng(canvas, button.dataset.orgPng);
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

  // Draw the chart as it is expanded (cards, faces or initials, lines) into a PNG file.
  function downloadPng(canvas, filename) {
    var saved = canvas.style.transform;
    canvas.style.transform = "none";
    var origin = canvas.getBoundingClientRect();
    var margin = 16;
    var width = Math.ceil(canvas.scrollWidth) + 2 * margin;
    var height = Math.ceil(canvas.scrollHeight) + 2 * margin;
    var ratio = Math.min(2, 16000 / Math.max(width, height, 1));
    var out = document.createElement("canvas");
    out.width = Math.max(1, Math.floor(width * ratio));
    out.height = Math.max(1, Math.floor(height * ratio));
    var g = out.getContext("2d");
    g.scale(ratio, ratio);
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, width, height);
    g.translate(margin, margin);
    function box(element) {
      var r = element.getBoundingClientRect();
      return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
    }
    g.strokeStyle = "#b8c0cc";
    g.lineWidth = 2;
    canvas.querySelectorAll(".org-node > ul.org-tree:not([hidden])").forEach(function (list) {
      var parent = box(list.parentElement.querySelector(":scope > .org-card"));
      var fromX = parent.x + parent.w / 2;
      var fromY = parent.y + parent.h;
      var area = box(list);
      g.beginPath();
      if (list.classList.contains("org-stack")) {
        g.moveTo(fromX, fromY);
        g.lineTo(fromX, area.y + 2);
        g.stroke();
        g.strokeRect(area.x, area.y, area.w, area.h);
        return;
      }
      var midY = fromY + (area.y + 20 - fromY) / 2;
      list.querySelectorAll(":scope > .org-node > .org-card").forEach(function (card) {
        var child = box(card);
        g.moveTo(fromX, fromY);
        g.lineTo(fromX, midY);
        g.lineTo(child.x + child.w / 2, midY);
        g.lineTo(child.x + child.w / 2, child.y);
      });
      g.stroke();
    });
    canvas.querySelectorAll(".org-card").forEach(function (card) {
      var b = box(card);
      g.fillStyle = "#ffffff";
      g.strokeStyle = "#dfe3e8";
      g.lineWidth = 1;
      g.fillRect(b.x, b.y, b.w, b.h);
      g.strokeRect(b.x, b.y, b.w, b.h);
      g.fillStyle = getComputedStyle(card).borderTopColor;
      g.fillRect(b.x, b.y, b.w, 4);
      var face = card.querySelector(".avatar");
      if (face) {
        var f = box(face);
        if (face.tagName === "IMG" && face.complete && face.naturalWidth) {
          g.save();
          g.beginPath();
          g.arc(f.x + f.w / 2, f.y + f.h / 2, f.w / 2, 0, Math.PI * 2);
          g.clip();
          g.drawImage(face, f.x, f.y, f.w, f.h);
          g.restore();
        } else if (face.tagName !== "IMG") {
          var style = getComputedStyle(face);
          g.fillStyle = style.backgroundColor;
          g.beginPath();
          g.arc(f.x + f.w / 2, f.y + f.h / 2, f.w / 2, 0, Math.PI * 2);
          g.fill();
          g.fillStyle = style.color;
          g.font = "600 " + style.fontSize + " " + style.fontFamily;
          g.textAlign = "center";
          g.textBaseline = "middle";
          g.fillText(face.textContent.trim(), f.x + f.w / 2, f.y + f.h / 2);
        }
      }
      card.querySelectorAll(".org-name, .org-title").forEach(function (line) {
        var l = box(line);
        var style = getComputedStyle(line);
        g.fillStyle = style.color;
        g.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
        g.textAlign = "center";
        g.textBaseline = "top";
        g.fillText(line.textContent.trim(), b.x + b.w / 2, l.y, b.w - 12);
      });
    });
    canvas.style.transform = saved;
    var link = document.createElement("a");
    link.download = filename || "org-chart.png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-org-viewport]").forEach(setUp);
  });
})();
