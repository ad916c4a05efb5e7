package io.leadplatform.common.rest;

/** Thrown by use cases to answer with a specific problem (404, 409, 422 ...). */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "Not found", what));
    }

    public static ProblemException conflict(String why) {
        return new ProblemException(Problem.of(409, "Conflict", why));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(java.util.List.of(new Problem.FieldError(field, message))));
    }

    public Problem problem() {
        return problem;
    }
}
