//! Unit tests of the image boundary, on images made here.
