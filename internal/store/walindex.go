//go:build linux || darwin || freebsd || netbsd || openbsd

package store

import (
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// walIndex maps the header of an SQLite WAL database's shared-memory index,
// the file beside it named -shm (https://www.sqlite.org/walformat.html):
// every connection of every process maps the same pages, and every commit
// rewrites the header. Only its first page is mapped, read-only.
//
// The file is never truncated while a connection of this process has the
// database open (the first connection of all to open it does that), and
// the store unmaps it only after closing its reading connections.
type walIndex struct{ mem []byte }

// walIndexMapped is how much of the index is mapped: the header's two
// copies and the checkpoint information are its first 136 bytes.
const walIndexMapped = 4096

// mapWALIndex maps the index of the database at dbPath, which must be open
// in WAL mode.
func mapWALIndex(dbPath string) (*walIndex, error) {
	f, err := os.Open(dbPath + "-shm")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() < walIndexMapped {
		return nil, fmt.Errorf("store: %s-shm holds %d bytes", dbPath, fi.Size())
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, walIndexMapped, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	return &walIndex{mem}, nil
}

// walGen is what of the header any commit changes: the change counter
// (iChange, "incremented with each transaction"), the last valid frame
// (mxFrame) and the first salt, which a restart of the log changes. They
// are read from the header's first copy, which a writer updates last.
type walGen [3]uint32

func (w *walIndex) gen() walGen {
	at := func(off int) uint32 { return atomic.LoadUint32((*uint32)(unsafe.Pointer(&w.mem[off]))) }
	return walGen{at(8), at(16), at(32)}
}

func (w *walIndex) close() { syscall.Munmap(w.mem) }
