package sts

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// xmlns is the namespace of every STS answer.
const xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"

// responseMetadata closes every successful answer.
type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// response is <{Action}Response><{Action}Result>...</{Action}Result>
// <ResponseMetadata>...</ResponseMetadata></{Action}Response>.
type response struct {
	XMLName  xml.Name
	Xmlns    string `xml:"xmlns,attr"`
	Result   any
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

// writeResult writes the answer of action with its result element.
func (h *Handler) writeResult(w http.ResponseWriter, reqID, action string, result any) {
	resp := response{
		XMLName:  xml.Name{Local: action + "Response"},
		Xmlns:    xmlns,
		Result:   resultElement{name: action + "Result", v: result},
		Metadata: responseMetadata{RequestID: reqID},
	}
	h.writeXML(w, reqID, http.StatusOK, resp)
}

// resultElement encodes v under the element name.
type resultElement struct {
	name string
	v    any
}

func (r resultElement) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	return e.EncodeElement(r.v, xml.StartElement{Name: xml.Name{Local: r.name}})
}

// errorResponse is the XML of an STS error.
type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     errorDetail
	RequestID string `xml:"RequestId"`
}

type errorDetail struct {
	Type    string
	Code    string
	Message string
}

// writeXML writes v with the protocol headers.
func (h *Handler) writeXML(w http.ResponseWriter, reqID string, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		h.log.Error("encoding STS response", "request_id", reqID, "err", err)
		status = http.StatusInternalServerError
		b, _ = xml.Marshal(errorResponse{Xmlns: xmlns, Error: errorDetail{Type: "Receiver", Code: "InternalFailure", Message: "Internal failure encoding the response"}, RequestID: reqID})
	}
	hd := w.Header()
	hd["Content-Type"] = []string{"text/xml"}
	hd["X-Amzn-Requestid"] = []string{reqID}
	hd["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	w.Write(b)
}
