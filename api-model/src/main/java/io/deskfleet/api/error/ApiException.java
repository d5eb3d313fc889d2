package io.deskfleet.api.error;

/**
 * Thrown anywhere a request must be refused; the control plane turns it into the status and {@link ErrorBody}.
 * Throw it before anything is persisted: a refused request changes nothing.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode errorCode;
    private final String detail;

    public ApiException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public ApiException(ErrorCode errorCode, String message, String detail) {
        super(message == null ? errorCode.defaultMessage() : message);
        this.errorCode = errorCode;
        this.detail = detail;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return errorCode.httpStatus();
    }

    public ErrorBody toBody() {
        return new ErrorBody(errorCode.code(), getMessage(), detail, null);
    }
}
