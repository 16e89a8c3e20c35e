"""The portal keeps no models of its own: personal links are the circle's (circle.links)."""
