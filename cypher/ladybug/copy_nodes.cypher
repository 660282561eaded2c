COPY {{label}} FROM $frame
