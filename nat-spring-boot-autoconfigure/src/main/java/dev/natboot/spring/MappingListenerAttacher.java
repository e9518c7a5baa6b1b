package dev.natboot.spring;

import dev.natboot.core.mapping.MappingEngine;
import dev.natboot.core.mapping.MappingListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Tells every {@link MappingEngine} bean, natboot's own or the application's, about every {@link MappingListener}
 * bean, in their order: natboot's Spring events, its log lines and metrics, and the application's listeners then
 * work with whichever engine there is. A listener bean that needs the engine itself should take an
 * {@code ObjectProvider<MappingEngine>}: the listeners are created with the engine, before it is used.
 */
public class MappingListenerAttacher implements BeanPostProcessor {

	private final ObjectProvider<MappingListener> listeners;

	public MappingListenerAttacher(ObjectProvider<MappingListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof MappingEngine engine) {
			this.listeners.orderedStream().forEach(engine::addListener);
		}
		return bean;
	}

}
