package ferrettest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Wire protocol constants (MongoDB OP_MSG).
const (
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	headerLen      = 16
	maxMessageLen  = 48 << 20 // MongoDB's maxMessageSizeBytes
	// replyTimeout bounds how long one command may hold the lock, so a
	// stuck command fails its test instead of hanging every other one.
	replyTimeout = 30 * time.Second
)

// proxy forwards MongoDB wire-protocol connections to FerretDB and lets one
// command at a time through, across all connections.
//
// Why: FerretDB v1 executes update and findAndModify as a read followed by a
// separate write-back by _id, so when two connections update one document
// concurrently one write is lost, and two "use once" updates can both
// succeed. MongoDB guarantees each single-document write is atomic and the
// store is built on that guarantee; running the commands one by one gives
// FerretDB the same guarantee, so the concurrency tests check the store's
// logic rather than FerretDB's missing isolation.
type proxy struct {
	ln     net.Listener
	target string

	// cmd is held from forwarding a request until its reply is read.
	cmd sync.Mutex

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// listenProxy listens on a free port of 127.0.0.1 and forwards to target.
func listenProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen proxy: %w", err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Addr is the host:port clients connect to.
func (p *proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting, closes every connection and waits for them.
func (p *proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	if err != nil {
		return fmt.Errorf("close proxy: %w", err)
	}
	return nil
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c)
		}()
	}
}

// track records c so Close can close it; false when the proxy is closing.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}

// handle relays one client connection over its own FerretDB connection.
func (p *proxy) handle(client net.Conn) {
	defer p.untrack(client)
	backend, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	if !p.track(backend) {
		return
	}
	defer p.untrack(backend)

	cr, br := bufio.NewReader(client), bufio.NewReader(backend)
	for {
		req, err := readMessage(cr)
		if err != nil {
			return
		}
		replies, err := p.exchange(backend, br, req)
		if err != nil {
			return
		}
		for _, r := range replies {
			if _, err := client.Write(r); err != nil {
				return
			}
		}
	}
}

// exchange sends one request and reads its replies while holding cmd.
func (p *proxy) exchange(backend net.Conn, br *bufio.Reader, req []byte) ([][]byte, error) {
	p.cmd.Lock()
	defer p.cmd.Unlock()
	if _, err := backend.Write(req); err != nil {
		return nil, err
	}
	if moreToCome(req) {
		return nil, nil // an unacknowledged write: no reply comes
	}
	if err := backend.SetReadDeadline(time.Now().Add(replyTimeout)); err != nil {
		return nil, err
	}
	var replies [][]byte
	for {
		r, err := readMessage(br)
		if err != nil {
			return nil, err
		}
		replies = append(replies, r)
		if !moreToCome(r) {
			return replies, nil
		}
	}
}

// readMessage reads one whole wire message, header included.
func readMessage(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(size[:])))
	if n < headerLen || n > maxMessageLen {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, size[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// moreToCome reports an OP_MSG whose sender expects no answer to it (a
// request) or will send another one (an exhaust reply).
func moreToCome(msg []byte) bool {
	if len(msg) < headerLen+4 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return false
	}
	return binary.LittleEndian.Uint32(msg[headerLen:headerLen+4])&flagMoreToCome != 0
}
