// Stack buffers in the hashing hot path are always written before they are read; zeroing them is wasted work.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
