# numkit._core.hamming: the compiled Hamming distance engines (wrapped by numkit.hamming).
import numpy as np
import numpy.typing as npt

def brute(
    text: npt.NDArray[np.unsignedinteger],
    pattern: npt.NDArray[np.unsignedinteger],
    wildcard: int,
    bound: int,
    workers: int,
    out: npt.NDArray[np.signedinteger],
    first_chunk: int = 0,
) -> None: ...
def mismatch_total(
    text: npt.NDArray[np.unsignedinteger],
    pattern: npt.NDArray[np.unsignedinteger],
    wildcard: int,
) -> int: ...
def list_matches(
    text: npt.NDArray[np.unsignedinteger],
    m: int,
    offsets: npt.NDArray[np.int64],
    positions: npt.NDArray[np.int64],
    rare: npt.NDArray[np.uint8],
    by_pattern: bool,
    workers: int,
    counts: npt.NDArray[np.signedinteger],
    *,
    fresh: bool = False,
    total: int = -1,
    lut: npt.NDArray[np.integer] | None = None,
) -> None: ...
def remap(
    values: npt.NDArray[np.unsignedinteger],
    lut: npt.NDArray[np.unsignedinteger],
    workers: int,
    out: npt.NDArray[np.unsignedinteger],
) -> None: ...
def code_counts(
    values: npt.NDArray[np.unsignedinteger],
    lut: npt.NDArray[np.unsignedinteger],
    step: int,
    counts: npt.NDArray[np.int64],
) -> None: ...
def block_weights(
    blocks: npt.NDArray[np.unsignedinteger], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]: ...
def unpack_slots(
    values: npt.NDArray[np.float64], skip: int, b: int, G: int
) -> tuple[npt.NDArray[np.float64], float]: ...
