package io.maas.console.system;

import java.time.Duration;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The viewer's language: {@code ?lang=en} or {@code ?lang=zh-CN} (the switch on every page) chooses
 * it and a cookie keeps it; without one, the browser's {@code Accept-Language}. Messages are English
 * where Chinese is not asked for.
 *
 * <p>Static files under {@code /css}, {@code /js} and {@code /webjars} only (the version-less WebJar
 * paths resolved by the WebJars locator), not Boot's default {@code /**}
 * ({@code spring.web.resources.add-mappings=false}): with {@code /**} every link a page writes went
 * through the resource chain's URL rewriting and was looked up on the class path as a possible static
 * file, about half a millisecond per link; the tenants list with 200 rows took 500 ms.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final String LANGUAGE_PARAMETER = "lang";

    private final PageAccess pageAccess;

    WebConfiguration(PageAccess pageAccess) {
        this.pageAccess = pageAccess;
    }

    @Bean
    LocaleResolver localeResolver() {
        var resolver = new CookieLocaleResolver("console-lang");
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setDefaultLocaleFunction(request -> Locale.CHINESE.getLanguage().equals(request.getLocale().getLanguage())
                ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH);
        return resolver;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/css/**").addResourceLocations("classpath:/static/css/");
        registry.addResourceHandler("/js/**").addResourceLocations("classpath:/static/js/");
        registry.addResourceHandler("/webjars/**").addResourceLocations("classpath:/META-INF/resources/webjars/")
                .resourceChain(true).addResolver(new LiteWebJarsResourceResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        var language = new LocaleChangeInterceptor();
        language.setParamName(LANGUAGE_PARAMETER);
        language.setIgnoreInvalidLocale(true);
        registry.addInterceptor(language);
        registry.addInterceptor(pageAccess).excludePathPatterns("/webjars/**", "/css/**", "/js/**", "/error");
    }
}
