// Package loadgen is the engine of idcenter's own HTTP load tool (the
// `idcenter bench` subcommand).
//
// A [Scenario] names one operation and produces its requests; [Run] drives
// each scenario in turn against a server with [Config.Conns] concurrent
// workers, each on its own keep-alive connection, for a fixed duration
// (after a warm-up that is left out of the figures) or a fixed number of
// requests. Every request's latency goes into a small log-linear
// [Histogram]; the [Result] of a scenario gives throughput, percentiles,
// error count and byte counts, and [WriteTable] / [WriteJSON] report them,
// optionally as a ratio to a baseline run.
//
// AWS-style requests are built with [AWSJSON] and signed per request with
// SigV4 by a [Signer], inside the timed loop, as a real client would.
//
// [BaselineHandler] is a trivial JSON handler the server can mount so a run
// can measure what the machine's HTTP stack allows; [BaselineScenario]
// drives it.
//
// By default the workers speak HTTP/1.1 over plain net.Conn connections
// with a minimal client (see [ClientRaw]), which costs less CPU than
// net/http's Transport; the load tool and the server share the machine, so
// every cycle the client spends is taken from the server.
package loadgen
