// The map to drop a pin on (templates/places/_pin_map.html): a click or a
// tap, or "Use the middle of the map" after moving it with the keyboard,
// puts the point's latitude and longitude in the form and clears the
// postcode, so that the search starts from that point.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("pin-map");
  var wrap = document.getElementById("pin-map-wrap");
  if (!box || !wrap || !window.L) {
    return;
  }
  wrap.hidden = false;
  var fields = {
    lat: document.getElementById("field-lat"),
    lon: document.getElementById("field-lon"),
    postcode: document.getElementById("field-postcode"),
  };
  var said = document.getElementById("pin-map-said");
  var map = L.map(box, { keyboard: true }).setView(
    [Number(box.dataset.lat), Number(box.dataset.lon)],
    Number(box.dataset.zoom)
  );
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {
      attribution: box.dataset.attribution,
      maxZoom: Number(box.dataset.maxZoom) || 19,
    }).addTo(map);
  }
  var pin = null;
  function place(point) {
    var lat = point.lat.toFixed(5);
    var lon = point.lng.toFixed(5);
    fields.lat.value = lat;
    fields.lon.value = lon;
    if (fields.postcode) {
      fields.postcode.value = "";
    }
    if (pin) {
      pin.setLatLng(point);
    } else {
      pin = L.marker(point, { keyboard: false, alt: "The point to search from" }).addTo(map);
    }
    said.textContent =
      "The search will start from " + lat + ", " + lon + ". Choose Search to see what is near.";
  }
  map.on("click", function (event) {
    place(event.latlng);
  });
  document.getElementById("pin-map-centre").addEventListener("click", function () {
    place(map.getCenter());
  });
});
