package policy

// SyntaxError reports a policy document that is not valid JSON or breaks
// the policy grammar. Path says where, in the notation of the document
// ("Statement[1].Effect", "Statement[0].Condition.StringEquals.aws:username");
// it is empty when the document as a whole is at fault. Msg says what is
// wrong. Callers turn it into AWS's MalformedPolicyDocument or
// ValidationException message with Error().
type SyntaxError struct {
	Path string
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

func syntaxErr(path, format string, args ...any) *SyntaxError {
	if len(args) == 0 {
		return &SyntaxError{Path: path, Msg: format}
	}
	return &SyntaxError{Path: path, Msg: sprintf(format, args...)}
}
