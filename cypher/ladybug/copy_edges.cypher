COPY {{rel}} FROM $frame
