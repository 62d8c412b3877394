package io.maas.gateway.auth;

import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets a controller take the authenticated {@link CallerKey} as a parameter. */
@Component
public class CallerKeyResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == CallerKey.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                  NativeWebRequest request, WebDataBinderFactory binderFactory) {
        Object key = request.getAttribute(CallerKey.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (key == null) {
            throw new IllegalStateException("no API key was authenticated for this path");
        }
        return key;
    }
}
