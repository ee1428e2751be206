"""A generated test video as the camera (the maker lives in station.video.testsrc: the benchmark uses it too)."""
from station.video.testsrc import frames_of, make_video

__all__ = ["frames_of", "make_video"]
