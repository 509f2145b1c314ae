package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"
)

// httpConn is one worker's keep-alive HTTP/1.1 connection, wrk-style: the
// request is written from a ready byte slice in one call and the answer is
// parsed by hand into reused buffers. net/http's client costs several times
// the CPU per request, and the load generator shares the machine's cores
// with the server it measures.
type httpConn struct {
	addr string // host:port
	conn net.Conn
	stop func() bool // undoes the close of conn when ctx ends
	r    *bufio.Reader
	body []byte // of the last answer, reused
}

const (
	// requestTimeout bounds one request, dial included.
	requestTimeout = 30 * time.Second
	dialTimeout    = 5 * time.Second
	// maxHeaderLine is the longest status or header line accepted.
	maxHeaderLine = 8 << 10
	// maxResponseBody is the largest answer body accepted.
	maxResponseBody = 16 << 20
)

// roundTrip writes req (a whole HTTP/1.1 request) and reads the whole answer.
// The body is valid until the next call. The connection is dialled when
// there is none and closed after an error or a Connection: close answer,
// so that the next call dials a fresh one.
func (hc *httpConn) roundTrip(ctx context.Context, req []byte, deadline time.Time) (status int, body []byte, err error) {
	if hc.conn == nil {
		if err := hc.dial(ctx, deadline); err != nil {
			return 0, nil, err
		}
	}
	if err := hc.conn.SetDeadline(deadline); err != nil {
		hc.close()
		return 0, nil, err
	}
	if _, err := hc.conn.Write(req); err != nil {
		hc.close()
		return 0, nil, err
	}
	status, keep, err := hc.readResponse()
	if err != nil {
		hc.close()
		return 0, nil, err
	}
	if !keep {
		hc.close()
	}
	return status, hc.body, nil
}

func (hc *httpConn) dial(ctx context.Context, deadline time.Time) error {
	d := net.Dialer{Timeout: dialTimeout, Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", hc.addr)
	if err != nil {
		return err
	}
	// Closing the connection is what interrupts a read in progress when
	// the phase is cancelled.
	hc.conn, hc.stop = conn, context.AfterFunc(ctx, func() { conn.Close() })
	if hc.r == nil {
		hc.r = bufio.NewReaderSize(conn, maxHeaderLine)
	} else {
		hc.r.Reset(conn)
	}
	return nil
}

func (hc *httpConn) close() {
	if hc.conn == nil {
		return
	}
	hc.stop()
	hc.conn.Close()
	hc.conn = nil
}

// readResponse reads one answer's status line, headers and body (into
// hc.body), and says whether the connection may carry another request.
func (hc *httpConn) readResponse() (status int, keep bool, err error) {
	line, err := hc.line()
	if err != nil {
		return 0, false, fmt.Errorf("read status line: %w", err)
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' || (len(line) > 12 && line[12] != ' ') {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	keep = line[7] == '1' // HTTP/1.0 closes unless it says otherwise
	status = 0
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return 0, false, fmt.Errorf("malformed status line %q", line)
		}
		status = status*10 + int(c-'0')
	}
	length, chunked := -1, false
	for {
		line, err := hc.line()
		if err != nil {
			return 0, false, fmt.Errorf("read headers: %w", err)
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, fmt.Errorf("malformed header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, ok = parseLength(value); !ok {
				return 0, false, fmt.Errorf("malformed Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) {
				return 0, false, fmt.Errorf("unsupported Transfer-Encoding %q", value)
			}
			chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			if hasToken(value, "close") {
				keep = false
			} else if hasToken(value, "keep-alive") {
				keep = true
			}
		}
	}
	hc.body = hc.body[:0]
	switch {
	case status < 200 || status == 204 || status == 304:
		// No body.
	case chunked: // wins over Content-Length (RFC 9112, 6.3)
		err = hc.readChunked()
	case length >= 0:
		err = hc.readBody(length)
	default:
		// A body delimited by the end of the connection is legal HTTP/1.1,
		// but neither server under test sends one.
		return status, false, errors.New("answer has neither Content-Length nor Transfer-Encoding: chunked")
	}
	if err != nil {
		return status, false, fmt.Errorf("read body: %w", err)
	}
	return status, keep, nil
}

func (hc *httpConn) readChunked() error {
	for {
		line, err := hc.line()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i] // chunk extensions
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || len(line) > 8 {
			return fmt.Errorf("malformed chunk size %q", line)
		}
		size := 0
		for _, c := range line {
			switch {
			case c >= '0' && c <= '9':
				size = size<<4 | int(c-'0')
			case c >= 'a' && c <= 'f':
				size = size<<4 | int(c-'a'+10)
			case c >= 'A' && c <= 'F':
				size = size<<4 | int(c-'A'+10)
			default:
				return fmt.Errorf("malformed chunk size %q", line)
			}
		}
		if size == 0 {
			for { // trailers, up to the blank line
				line, err := hc.line()
				if err != nil {
					return err
				}
				if len(line) == 0 {
					return nil
				}
			}
		}
		if err := hc.readBody(size); err != nil {
			return err
		}
		if line, err := hc.line(); err != nil {
			return err
		} else if len(line) != 0 {
			return errors.New("chunk not followed by CRLF")
		}
	}
}

// readBody appends the next n bytes to hc.body.
func (hc *httpConn) readBody(n int) error {
	off := len(hc.body)
	if off+n > maxResponseBody {
		return fmt.Errorf("body longer than %d bytes", maxResponseBody)
	}
	hc.body = slices.Grow(hc.body, n)[:off+n]
	_, err := io.ReadFull(hc.r, hc.body[off:])
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// line is the next line without its line ending, valid until the next read.
func (hc *httpConn) line() ([]byte, error) {
	line, err := hc.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("line longer than %d bytes", maxHeaderLine)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

func parseLength(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 18 { // no overflow; readBody refuses what is too long
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// hasToken reports whether the comma-separated list v holds tok, in any case.
func hasToken(v []byte, tok string) bool {
	for part := range bytes.SplitSeq(v, []byte(",")) {
		if bytes.EqualFold(bytes.TrimSpace(part), []byte(tok)) {
			return true
		}
	}
	return false
}
