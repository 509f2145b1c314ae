package assurance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Report is an audit report as issued: everything it says, written out
// with names rather than ids, so that it reads the same for ever.
type Report struct {
	Number     string         `json:"number"`
	Title      string         `json:"title"`
	Origin     string         `json:"origin"`
	Type       string         `json:"type"`
	Body       string         `json:"body,omitempty"`
	Programme  string         `json:"programme,omitempty"`
	Planned    string         `json:"planned"`
	Held       string         `json:"held"`
	Scope      []string       `json:"scope"`
	Processes  []string       `json:"processes"`
	Services   []string       `json:"services"`
	Criteria   string         `json:"criteria"`
	Lead       string         `json:"lead"`
	Team       []string       `json:"team"`
	Summary    string         `json:"summary"`
	Results    map[string]int `json:"results"`
	Clauses    []ReportClause `json:"clauses"`
	Conclusion string         `json:"conclusion"`
	IssuedOn   string         `json:"issued_on"`
	IssuedBy   string         `json:"issued_by"`
}

// ReportClause is a top-level clause with the findings made under it.
type ReportClause struct {
	Clause   string          `json:"clause"`
	Findings []ReportFinding `json:"findings"`
}

// ReportFinding is one finding as the report states it.
type ReportFinding struct {
	Number      string   `json:"number"`
	Type        string   `json:"type"`
	Requirement string   `json:"requirement"`
	Statement   string   `json:"statement"`
	Records     []string `json:"records"`
	Owner       string   `json:"owner,omitempty"`
}

// Freeze writes the report as it is stored and its SHA-256, in hex.
func Freeze(r Report) (content, sum string, err error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", "", err
	}
	h := sha256.Sum256(b)
	return string(b), hex.EncodeToString(h[:]), nil
}

// Thaw reads a stored report back.
func Thaw(content string) (Report, error) {
	var r Report
	err := json.Unmarshal([]byte(content), &r)
	return r, err
}

// Hash is the SHA-256 of stored content, in hex, to show that it is what
// was issued.
func Hash(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:])
}
