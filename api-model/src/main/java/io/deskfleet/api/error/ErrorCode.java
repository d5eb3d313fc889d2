package io.deskfleet.api.error;

/**
 * Error codes with their HTTP status. Codes the public Workspace v2 definitions use are kept as they are; the ones
 * marked "ours" fill gaps the public definitions leave (see docs/contract-notes.md).
 */
public enum ErrorCode {
    INVALID_PARAMETER(400, "WKS.00211102", "The parameter is invalid."),
    EMPTY_REQUEST(400, "WKS.0001", "The request body is empty."),
    UNAUTHORIZED(401, "WKS.00211302", "User authorization error."),
    /** ours */
    FORBIDDEN(403, "WKS.00210403", "No operation permissions."),
    /** ours */
    NOT_FOUND(404, "WKS.00210404", "No resources found."),
    METHOD_NOT_ALLOWED(405, "WKS.00000405", "The method specified in the request is not allowed."),
    /** ours: state conflicts such as stopping a finished task */
    CONFLICT(409, "WKS.00210409", "The resource is in a state that does not allow this operation."),
    /** ours */
    PAYLOAD_TOO_LARGE(413, "WKS.00210413", "The request body is too large."),
    /** ours: a Range header outside a record's stored output */
    RANGE_NOT_SATISFIABLE(416, "WKS.00210416", "The requested range is not satisfiable."),
    /** ours */
    TOO_MANY_REQUESTS(429, "WKS.00210429", "Too many requests."),
    INTERNAL(500, "WKS.00211401", "An internal service error occurred."),
    UNAVAILABLE(503, "WKS.00050902", "Service unavailable.");

    private final int httpStatus;
    private final String code;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String code, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.code = code;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
