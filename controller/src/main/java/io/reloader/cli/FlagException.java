package io.reloader.cli;

/** A flag value that cannot be used; the message names the flag and the allowed values. */
public final class FlagException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlagException(String message) {
        super(message);
    }
}
