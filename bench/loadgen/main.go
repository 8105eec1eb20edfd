// Command loadgen drives the webhook the way kube-apiserver does (Go's net/http client: TLS,
// HTTP/2 keep-alive, many concurrent streams on one connection; or HTTP/1.1 connections) and
// reports latency percentiles.
//
//	loadgen corpus -out DIR          writes the request corpus and the ServiceAccounts it names
//	loadgen run -url URL -body FILE  sends FILE at a fixed rate (open loop) or as fast as it can
//
// At a fixed rate, latency is measured from the moment each request was due, not from when it
// was sent, so a stalled server is not hidden by the generator waiting for it (coordinated
// omission); service time, from the actual send, is reported beside it.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		err = corpusMain(os.Args[2:])
	case "run":
		err = runMain(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: loadgen corpus -out DIR | loadgen run -url URL -body FILE [flags] (loadgen run -h for flags)")
	os.Exit(2)
}
