package dev.modelgate.experiments.spec;

/**
 * An experiment definition that cannot run. {@link #field()} is the snake_case path of the offending
 * field as the user wrote it (for example {@code variants[1].weight}), so the admin API can point at it.
 */
public final class SpecValidationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public SpecValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** The same problem seen from the enclosing object, e.g. {@code weight} under {@code variants[1]}. */
    public SpecValidationException under(String parentPath) {
        return new SpecValidationException(parentPath + "." + field, problem);
    }
}
