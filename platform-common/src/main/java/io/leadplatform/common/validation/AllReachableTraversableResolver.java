package io.leadplatform.common.validation;

import jakarta.inject.Singleton;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

import java.lang.annotation.ElementType;

/**
 * Bean Validation here checks request DTOs, never entities with lazy state: every property is
 * reachable and cascadable. Without this bean Hibernate Validator asks JPA, by reflection, whether
 * each property of each validated object is loaded, a cost paid on every request.
 */
@Singleton
public class AllReachableTraversableResolver implements TraversableResolver {

    @Override
    public boolean isReachable(Object traversableObject, Path.Node traversableProperty, Class<?> rootBeanType,
                               Path pathToTraversableObject, ElementType elementType) {
        return true;
    }

    @Override
    public boolean isCascadable(Object traversableObject, Path.Node traversableProperty, Class<?> rootBeanType,
                                Path pathToTraversableObject, ElementType elementType) {
        return true;
    }
}
