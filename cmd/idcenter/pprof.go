package main

import (
	"net/http"
	"net/http/pprof"
)

// pprofMux serves the runtime profiles on their own listener, never on the
// API's, so that profiling is a deliberate choice of whoever runs serve.
func pprofMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	return mux
}
