// Maps drawn from the app's own GeoJSON: worklist points coloured by score band, ward outlines, a scale.
// Tiles appear only when the deployment names a tile server; without one the map is still usable.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var map = L.map(element, { keyboard: true, zoomSnap: 0.5 }).setView([54, -2], 6);  // until the data arrives
  L.control.scale({ imperial: false }).addTo(map);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
  }
  map.attributionControl.setPrefix(false);

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { type: "FeatureCollection", features: [] }; });
  }

  var fitted = false;
  function fit(layer) {
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05)); fitted = true; }
  }

  var wardLayer = null;
  var wardsLoaded = (element.dataset.wards ? getJSON(element.dataset.wards) : Promise.resolve(null)).then(function (wards) {
    if (!wards) { return; }
    wardLayer = L.geoJSON(wards, {
      style: { color: "#1d70b8", weight: 2, fill: true, fillOpacity: 0.04 },
      onEachFeature: function (feature, lyr) { lyr.bindTooltip(feature.properties.ward, { sticky: true }); }
    }).addTo(map);
    wardLayer.bringToBack();
    if (!element.dataset.points && !element.dataset.point) { fit(wardLayer); }
  });

  if (element.dataset.point) {
    var parts = element.dataset.point.split(",").map(Number);
    L.circleMarker(parts, { radius: 9, color: "#0b0c0c", weight: 2, fillColor: element.dataset.colour || "#1d70b8",
                            fillOpacity: 0.9 }).addTo(map);
    map.setView(parts, 16);
  }

  if (element.dataset.points) {
    getJSON(element.dataset.points).then(function (points) {
      var layer = L.geoJSON(points, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#0b0c0c", weight: 1, fillColor: feature.properties.colour,
                                          fillOpacity: 0.9 });
        },
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          lyr.bindTooltip(p.rank + ". " + p.address + " (" + (p.band || "not banded") + ")");
          lyr.on("click", function () { window.location.href = p.url; });
        }
      }).addTo(map);
      if (points.features.length) { fit(layer); return; }
      wardsLoaded.then(function () { if (wardLayer) { fit(wardLayer); } });
    });
  }
})();
