"""Pack video (issue 18): a clip per parcel, from the order's opening to its close, named by
tracking number, with the bench's scans burned in. `recorder` runs the camera and the encoder in a
process of its own; `sources` opens the camera (or a video file); `clips` files the finished clips
and keeps the folder within its budget."""
