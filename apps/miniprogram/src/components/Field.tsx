import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './ui.css';

/** A form field: its label, the control (`children`), then what is wrong with it, one line each. */
export function Field({
  label,
  errors = [],
  children,
}: {
  label: string;
  errors?: readonly string[];
  children: ReactNode;
}) {
  return (
    <View className="field">
      <Text className="field__label">{label}</Text>
      {children}
      {errors.map((message) => (
        <Text key={message} className="field__error">
          {message}
        </Text>
      ))}
    </View>
  );
}

/**
 * The form's problems that belong to no one field, as an error notice with one line each (`${className}__item`);
 * nothing when there are none.
 */
export function ErrorList({ className, messages }: { className: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <View className={`notice notice--error ${className}`}>
      {messages.map((message) => (
        <Text key={message} className={`${className}__item`}>
          {message}
        </Text>
      ))}
    </View>
  );
}
