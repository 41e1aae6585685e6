//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package store

import "errors"

// walIndex is not mapped where there is no mmap: the reading connections
// then run each query in a transaction of its own (snapshot.go).
type walIndex struct{}

type walGen [3]uint32

func mapWALIndex(string) (*walIndex, error) {
	return nil, errors.New("store: no shared-memory index here")
}

func (w *walIndex) gen() walGen { return walGen{} }
func (w *walIndex) close()      {}
