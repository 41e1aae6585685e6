package cloudtrail

import "github.com/idcenter/idcenter/internal/errs"

func invalidParameter(msg string) error {
	return errs.E("cloudtrail", errs.Invalid, msg).WithCode("InvalidParameterException")
}

func invalidNextToken() error {
	return errs.E("cloudtrail", errs.Invalid, "Invalid NextToken.").WithCode("InvalidNextTokenException")
}
