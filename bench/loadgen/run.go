package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type runConfig struct {
	url         string
	body        []byte
	bodyName    string
	expect      string
	rate        int
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	h1          bool
	conns       int
	timeout     time.Duration
	cacert      string
	jsonOut     string
}

// result of one request: when it was due, sent and answered, and what went wrong if anything.
type sample struct {
	due, sent, done time.Time
	err             error
}

func runMain(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var c runConfig
	var bodyFile string
	fs.StringVar(&c.url, "url", "https://127.0.0.1:8443/mutate", "webhook URL")
	fs.StringVar(&bodyFile, "body", "", "AdmissionReview to send (a corpus file)")
	fs.StringVar(&c.expect, "expect", "auto", "what each answer must carry: patch, none, or auto (from the corpus file name)")
	fs.IntVar(&c.rate, "rate", 0, "requests per second, open loop; 0 = closed loop with -concurrency")
	fs.IntVar(&c.concurrency, "concurrency", 64, "requests in flight in the closed loop")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "measured time")
	fs.DurationVar(&c.warmup, "warmup", 10*time.Second, "closed-loop warm-up before measuring (not recorded)")
	fs.BoolVar(&c.h1, "h1", false, "HTTP/1.1 instead of HTTP/2")
	fs.IntVar(&c.conns, "conns", 0, "connections: HTTP/2 default 1 (as kube-apiserver), HTTP/1.1 default 64")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request timeout (kube-apiserver's default webhook timeout)")
	fs.StringVar(&c.cacert, "cacert", "", "CA bundle to verify the webhook with (default: no verification)")
	fs.StringVar(&c.jsonOut, "json", "", "append the result as one JSON line to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if bodyFile == "" {
		return errors.New("run: -body is required")
	}
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	c.body, c.bodyName = body, bodyFile
	if c.expect == "auto" {
		c.expect = expectationOf(bodyFile)
		if c.expect == "" {
			return fmt.Errorf("run: %s is not a corpus file; say -expect patch or -expect none", bodyFile)
		}
	}
	if c.expect != "patch" && c.expect != "none" {
		return fmt.Errorf("run: -expect %q: want patch, none or auto", c.expect)
	}
	if c.conns == 0 {
		c.conns = 1
		if c.h1 {
			c.conns = 64
		}
	}
	var uid struct {
		Request struct{ UID string } `json:"request"`
	}
	if err := json.Unmarshal(body, &uid); err != nil {
		return fmt.Errorf("run: %s is not an AdmissionReview: %v", bodyFile, err)
	}
	clients, err := newClients(c)
	if err != nil {
		return err
	}
	check := func(answer []byte) error { return checkAnswer(answer, uid.Request.UID, c.expect) }
	// One request per client first, so each has its connection before the load starts: Go's
	// transport does not know yet that the server speaks HTTP/2 and would dial one connection
	// per concurrent request (thousands of TLS handshakes, nothing like kube-apiserver).
	for _, client := range clients {
		if err := send(client, c, check); err != nil {
			return fmt.Errorf("first request: %w", err)
		}
	}
	if c.warmup > 0 {
		// Warm-up in a closed loop (at most 32 in flight): an open loop against a cold JIT
		// queues thousands of streams, and Go's transport dials a new connection past 1,000.
		w := c
		w.rate, w.concurrency = 0, min(c.concurrency, 32)
		if _, err := load(w, clients, check, c.warmup); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	samples, err := load(c, clients, check, c.duration)
	if err != nil {
		return err
	}
	return report(c, samples)
}

// dials counts the connections opened, reported so a run can be seen to use the connections it asked for.
var dials atomic.Int64

func dial(ctx context.Context, network, addr string) (net.Conn, error) {
	dials.Add(1)
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func newClients(c runConfig) ([]*http.Client, error) {
	tlsConfig := &tls.Config{InsecureSkipVerify: c.cacert == ""}
	if c.cacert != "" {
		pem, err := os.ReadFile(c.cacert)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("run: no certificate in %s", c.cacert)
		}
		tlsConfig.RootCAs = pool
	}
	if c.h1 {
		// One transport, c.conns connections; an empty TLSNextProto map turns HTTP/2 off.
		t := &http.Transport{TLSClientConfig: tlsConfig, MaxIdleConnsPerHost: c.conns, MaxConnsPerHost: c.conns,
			DialContext: dial, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}
		return []*http.Client{{Transport: t, Timeout: c.timeout}}, nil
	}
	// HTTP/2: each transport holds one connection carrying every stream (as kube-apiserver's
	// webhook client does); more connections means more transports, used in turn.
	clients := make([]*http.Client, c.conns)
	for i := range clients {
		// Strict: past the server's stream limit (Go assumes 1,000 when none is advertised),
		// requests queue here instead of dialing more connections.
		t := &http.Transport{TLSClientConfig: tlsConfig.Clone(), ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 1, DialContext: dial,
			HTTP2: &http.HTTP2Config{StrictMaxConcurrentRequests: true}}
		clients[i] = &http.Client{Transport: t, Timeout: c.timeout}
	}
	return clients, nil
}

func send(client *http.Client, c runConfig, check func([]byte) error) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, c.url, bytes.NewReader(c.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, */*")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, answer)
	}
	if c.h1 != (resp.ProtoMajor == 1) {
		return fmt.Errorf("answered over %s, not the protocol asked for", resp.Proto)
	}
	return check(answer)
}

// checkAnswer fails unless the answer is an allowed AdmissionReview response for uid carrying a
// patch exactly when one is expected.
func checkAnswer(answer []byte, uid, expect string) error {
	var review struct {
		Response *struct {
			UID     string `json:"uid"`
			Allowed bool   `json:"allowed"`
			Patch   string `json:"patch"`
		} `json:"response"`
	}
	if err := json.Unmarshal(answer, &review); err != nil {
		return fmt.Errorf("answer is not JSON: %v", err)
	}
	r := review.Response
	switch {
	case r == nil:
		return fmt.Errorf("answer has no response: %.200s", answer)
	case r.UID != uid:
		return fmt.Errorf("answer's uid %q is not the request's %q", r.UID, uid)
	case !r.Allowed:
		return fmt.Errorf("pod denied: %.300s", answer)
	case expect == "patch" && r.Patch == "":
		return fmt.Errorf("no patch in the answer: %.300s", answer)
	case expect == "none" && r.Patch != "":
		return fmt.Errorf("unexpected patch in the answer: %.300s", answer)
	}
	return nil
}

// load runs for d: open loop at c.rate, or closed loop with c.concurrency workers.
func load(c runConfig, clients []*http.Client, check func([]byte) error, d time.Duration) ([]sample, error) {
	var next atomic.Uint64
	pick := func() *http.Client { return clients[next.Add(1)%uint64(len(clients))] }
	if c.rate > 0 {
		n := int(float64(c.rate) * d.Seconds())
		samples := make([]sample, n)
		interval := time.Second / time.Duration(c.rate)
		var wg sync.WaitGroup
		start := time.Now()
		for i := 0; i < n; {
			now := time.Now()
			// Send everything due by now; sleep until the next one is due.
			for ; i < n; i++ {
				due := start.Add(time.Duration(i) * interval)
				if due.After(now) {
					break
				}
				wg.Add(1)
				go func(s *sample, due time.Time) {
					defer wg.Done()
					s.due, s.sent = due, time.Now()
					s.err = send(pick(), c, check)
					s.done = time.Now()
				}(&samples[i], due)
			}
			if i < n {
				time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
			}
		}
		wg.Wait()
		return samples, nil
	}
	var mu sync.Mutex
	var samples []sample
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < c.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]sample, 0, 4096)
			for time.Now().Before(deadline) {
				s := sample{sent: time.Now()}
				s.due = s.sent
				s.err = send(pick(), c, check)
				s.done = time.Now()
				local = append(local, s)
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return samples, nil
}

type summary struct {
	Body        string  `json:"body"`
	Protocol    string  `json:"protocol"`
	Conns       int     `json:"conns"`
	Rate        int     `json:"rate"`
	Concurrency int     `json:"concurrency,omitempty"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Throughput  float64 `json:"throughput"`
	P50         float64 `json:"p50_ms"`
	P90         float64 `json:"p90_ms"`
	P99         float64 `json:"p99_ms"`
	P999        float64 `json:"p999_ms"`
	Max         float64 `json:"max_ms"`
	ServiceP50  float64 `json:"service_p50_ms"`
	ServiceP99  float64 `json:"service_p99_ms"`
	ServiceP999 float64 `json:"service_p999_ms"`
	Dials       int64   `json:"connections_opened"`
	FirstError  string  `json:"first_error,omitempty"`
}

func report(c runConfig, samples []sample) error {
	s := summary{Body: c.bodyName, Protocol: "HTTP/2", Conns: c.conns, Rate: c.rate, Requests: len(samples), Dials: dials.Load()}
	if c.h1 {
		s.Protocol = "HTTP/1.1"
	}
	if c.rate == 0 {
		s.Concurrency = c.concurrency
	}
	var latency, service []time.Duration
	var first, last time.Time
	for i, x := range samples {
		if x.err != nil {
			if s.Errors == 0 {
				s.FirstError = x.err.Error()
			}
			s.Errors++
			continue
		}
		latency = append(latency, x.done.Sub(x.due))
		service = append(service, x.done.Sub(x.sent))
		if i == 0 || x.sent.Before(first) {
			first = x.sent
		}
		if x.done.After(last) {
			last = x.done
		}
	}
	if len(latency) > 0 {
		s.Throughput = float64(len(latency)) / last.Sub(first).Seconds()
		s.P50, s.P90, s.P99, s.P999, s.Max = percentiles(latency)
		s.ServiceP50, _, s.ServiceP99, s.ServiceP999, _ = percentiles(service)
	}
	load := fmt.Sprintf("rate %d/s", c.rate)
	if c.rate == 0 {
		load = fmt.Sprintf("closed loop, %d in flight", c.concurrency)
	}
	fmt.Printf("%s %s, %d conn (%d opened), %s, %s: %d requests, %d errors, %.0f req/s\n",
		s.Protocol, c.bodyName, c.conns, s.Dials, load, c.duration, s.Requests, s.Errors, s.Throughput)
	fmt.Printf("  latency ms      p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", s.P50, s.P90, s.P99, s.P999, s.Max)
	fmt.Printf("  service time ms p50 %.3f  p99 %.3f  p99.9 %.3f\n", s.ServiceP50, s.ServiceP99, s.ServiceP999)
	if s.Errors > 0 {
		fmt.Printf("  first error: %s\n", s.FirstError)
	}
	if c.jsonOut != "" {
		line, _ := json.Marshal(s)
		f, err := os.OpenFile(c.jsonOut, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	if s.Errors > 0 {
		return fmt.Errorf("%d of %d requests failed", s.Errors, s.Requests)
	}
	return nil
}

func percentiles(d []time.Duration) (p50, p90, p99, p999, max float64) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(p float64) float64 {
		i := int(p*float64(len(d))+0.999999) - 1
		if i < 0 {
			i = 0
		}
		if i >= len(d) {
			i = len(d) - 1
		}
		return float64(d[i]) / 1e6
	}
	return at(0.50), at(0.90), at(0.99), at(0.999), at(1)
}
