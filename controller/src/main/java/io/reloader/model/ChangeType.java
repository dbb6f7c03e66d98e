package io.reloader.model;

/** What happened to a source. */
public enum ChangeType {
    CREATED, UPDATED, DELETED
}
